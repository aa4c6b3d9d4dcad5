build-vg/obj/importers/fmt_abuse_ch_csv.o: importers/fmt_abuse_ch_csv.c \
 importers/formats.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
