build-vg/obj/schema/store_entry.o: schema/store_entry.c \
 schema/store_int.h schema/schema.h schema/cidr.h schema/store.h
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
