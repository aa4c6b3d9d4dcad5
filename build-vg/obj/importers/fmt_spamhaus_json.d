build-vg/obj/importers/fmt_spamhaus_json.o: importers/fmt_spamhaus_json.c \
 importers/fmt_spamhaus_json.h importers/formats.h schema/cidr.h
importers/fmt_spamhaus_json.h:
importers/formats.h:
schema/cidr.h:
