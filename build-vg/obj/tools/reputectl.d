build-vg/obj/tools/reputectl.o: tools/reputectl.c schema/answer.h \
 schema/cidr.h schema/config.h schema/geo.h schema/store.h schema/cidr.h \
 schema/config.h schema/guard.h schema/ctlsock.h schema/geo.h \
 schema/log.h schema/store.h
schema/answer.h:
schema/cidr.h:
schema/config.h:
schema/geo.h:
schema/store.h:
schema/cidr.h:
schema/config.h:
schema/guard.h:
schema/ctlsock.h:
schema/geo.h:
schema/log.h:
schema/store.h:
