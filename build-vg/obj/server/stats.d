build-vg/obj/server/stats.o: server/stats.c server/stats.h \
 schema/config.h schema/cidr.h server/query.h schema/store.h
server/stats.h:
schema/config.h:
schema/cidr.h:
server/query.h:
schema/store.h:
