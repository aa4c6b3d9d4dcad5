build-vg/obj/importers/fmt_tor_exits.o: importers/fmt_tor_exits.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
