build-vg/obj/schema/config.o: schema/config.c schema/config.h \
 schema/cidr.h schema/template.h
schema/config.h:
schema/cidr.h:
schema/template.h:
