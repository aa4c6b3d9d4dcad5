build-vg/obj/schema/store_source.o: schema/store_source.c \
 schema/store_int.h schema/schema.h schema/cidr.h schema/store.h
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
