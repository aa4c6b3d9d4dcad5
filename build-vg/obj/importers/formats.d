build-vg/obj/importers/formats.o: importers/formats.c importers/formats.h \
 schema/cidr.h schema/log.h schema/store.h schema/cidr.h
importers/formats.h:
schema/cidr.h:
schema/log.h:
schema/store.h:
schema/cidr.h:
