build-vg/obj/importers/catalog.o: importers/catalog.c importers/catalog.h \
 schema/config.h schema/cidr.h
importers/catalog.h:
schema/config.h:
schema/cidr.h:
