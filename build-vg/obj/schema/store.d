build-vg/obj/schema/store.o: schema/store.c schema/store_int.h \
 schema/schema.h schema/cidr.h schema/store.h
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
