build-vg/obj/schema/index.o: schema/index.c schema/index_int.h \
 schema/store_int.h schema/schema.h schema/cidr.h schema/store.h
schema/index_int.h:
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
