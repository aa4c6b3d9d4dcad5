build-vg/obj/schema/schema.o: schema/schema.c schema/schema.h \
 schema/cidr.h schema/store.h
schema/schema.h:
schema/cidr.h:
schema/store.h:
