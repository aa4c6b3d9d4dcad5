build-vg/obj/server/control.o: server/control.c server/control.h \
 server/stats.h schema/config.h schema/cidr.h server/query.h \
 schema/store.h schema/ctlsock.h schema/config.h server/listen.h \
 schema/cidr.h schema/log.h
server/control.h:
server/stats.h:
schema/config.h:
schema/cidr.h:
server/query.h:
schema/store.h:
schema/ctlsock.h:
schema/config.h:
server/listen.h:
schema/cidr.h:
schema/log.h:
