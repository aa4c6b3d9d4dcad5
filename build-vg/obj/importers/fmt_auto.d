build-vg/obj/importers/fmt_auto.o: importers/fmt_auto.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
