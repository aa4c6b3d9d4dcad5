build-vg/obj/server/privs.o: server/privs.c schema/log.h server/privs.h \
 schema/config.h schema/cidr.h
schema/log.h:
server/privs.h:
schema/config.h:
schema/cidr.h:
