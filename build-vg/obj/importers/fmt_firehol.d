build-vg/obj/importers/fmt_firehol.o: importers/fmt_firehol.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
