build-vg/obj/importers/fmt_spamhaus_asndrop.o: \
 importers/fmt_spamhaus_asndrop.c importers/fmt_spamhaus_json.h \
 importers/formats.h schema/cidr.h
importers/fmt_spamhaus_json.h:
importers/formats.h:
schema/cidr.h:
