build-vg/obj/server/metrics.o: server/metrics.c server/listen.h \
 schema/cidr.h schema/config.h schema/cidr.h server/query.h \
 schema/store.h schema/log.h server/metrics.h server/stats.h
server/listen.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
server/query.h:
schema/store.h:
schema/log.h:
server/metrics.h:
server/stats.h:
