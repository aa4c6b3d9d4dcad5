build-vg/obj/importers/import.o: importers/import.c importers/fetch.h \
 importers/formats.h schema/cidr.h importers/import.h schema/config.h \
 schema/cidr.h schema/store.h schema/log.h
importers/fetch.h:
importers/formats.h:
schema/cidr.h:
importers/import.h:
schema/config.h:
schema/cidr.h:
schema/store.h:
schema/log.h:
