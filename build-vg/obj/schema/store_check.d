build-vg/obj/schema/store_check.o: schema/store_check.c \
 schema/store_int.h schema/schema.h schema/cidr.h schema/store.h
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
