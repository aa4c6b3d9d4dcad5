build-vg/obj/server/rbldnsd.o: server/rbldnsd.c schema/config.h \
 schema/cidr.h schema/log.h server/privs.h server/rbldnsd.h
schema/config.h:
schema/cidr.h:
schema/log.h:
server/privs.h:
server/rbldnsd.h:
