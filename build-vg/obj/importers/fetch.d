build-vg/obj/importers/fetch.o: importers/fetch.c schema/config.h \
 schema/cidr.h importers/fetch.h
schema/config.h:
schema/cidr.h:
importers/fetch.h:
