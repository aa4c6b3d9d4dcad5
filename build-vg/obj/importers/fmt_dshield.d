build-vg/obj/importers/fmt_dshield.o: importers/fmt_dshield.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
