build-vg/obj/server/zone.o: server/zone.c server/zone.h schema/cidr.h \
 schema/config.h schema/cidr.h
server/zone.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
