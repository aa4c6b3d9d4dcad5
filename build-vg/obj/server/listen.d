build-vg/obj/server/listen.o: server/listen.c server/listen.h \
 schema/cidr.h schema/config.h schema/cidr.h server/query.h \
 schema/store.h schema/log.h server/stats.h server/rrl.h
server/listen.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
server/query.h:
schema/store.h:
schema/log.h:
server/stats.h:
server/rrl.h:
