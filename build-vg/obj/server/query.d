build-vg/obj/server/query.o: server/query.c server/acl.h schema/cidr.h \
 schema/config.h schema/cidr.h schema/answer.h schema/config.h \
 schema/geo.h schema/store.h schema/geo.h schema/log.h server/query.h \
 schema/store.h server/stats.h server/zone.h
server/acl.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
schema/answer.h:
schema/config.h:
schema/geo.h:
schema/store.h:
schema/geo.h:
schema/log.h:
server/query.h:
schema/store.h:
server/stats.h:
server/zone.h:
