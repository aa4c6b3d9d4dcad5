build-vg/obj/importers/fmt_rbldnsd.o: importers/fmt_rbldnsd.c \
 importers/formats.h schema/cidr.h schema/store.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
schema/store.h:
schema/cidr.h:
