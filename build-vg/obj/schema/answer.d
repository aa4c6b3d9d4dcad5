build-vg/obj/schema/answer.o: schema/answer.c schema/answer.h \
 schema/cidr.h schema/config.h schema/geo.h schema/store.h \
 schema/template.h
schema/answer.h:
schema/cidr.h:
schema/config.h:
schema/geo.h:
schema/store.h:
schema/template.h:
