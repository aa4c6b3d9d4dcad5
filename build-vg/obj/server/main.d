build-vg/obj/server/main.o: server/main.c schema/config.h schema/cidr.h \
 server/control.h server/stats.h server/query.h schema/store.h \
 schema/ctlsock.h schema/config.h schema/geo.h server/listen.h \
 schema/cidr.h schema/guard.h schema/log.h server/metrics.h \
 server/privs.h server/rbldnsd.h server/rrl.h
schema/config.h:
schema/cidr.h:
server/control.h:
server/stats.h:
server/query.h:
schema/store.h:
schema/ctlsock.h:
schema/config.h:
schema/geo.h:
server/listen.h:
schema/cidr.h:
schema/guard.h:
schema/log.h:
server/metrics.h:
server/privs.h:
server/rbldnsd.h:
server/rrl.h:
