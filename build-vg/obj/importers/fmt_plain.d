build-vg/obj/importers/fmt_plain.o: importers/fmt_plain.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
