build-vg/obj/importers/main.o: importers/main.c importers/catalog.h \
 schema/config.h schema/cidr.h importers/formats.h schema/cidr.h \
 importers/import.h schema/store.h schema/guard.h schema/log.h
importers/catalog.h:
schema/config.h:
schema/cidr.h:
importers/formats.h:
schema/cidr.h:
importers/import.h:
schema/store.h:
schema/guard.h:
schema/log.h:
