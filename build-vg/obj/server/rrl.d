build-vg/obj/server/rrl.o: server/rrl.c server/acl.h schema/cidr.h \
 schema/config.h schema/cidr.h server/rrl.h
server/acl.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
server/rrl.h:
