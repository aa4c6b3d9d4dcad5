build-vg/obj/schema/index_check.o: schema/index_check.c \
 schema/index_int.h schema/store_int.h schema/schema.h schema/cidr.h \
 schema/store.h
schema/index_int.h:
schema/store_int.h:
schema/schema.h:
schema/cidr.h:
schema/store.h:
