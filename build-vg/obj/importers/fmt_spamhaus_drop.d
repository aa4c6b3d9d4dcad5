build-vg/obj/importers/fmt_spamhaus_drop.o: importers/fmt_spamhaus_drop.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
