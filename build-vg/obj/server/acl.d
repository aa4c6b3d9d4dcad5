build-vg/obj/server/acl.o: server/acl.c server/acl.h schema/cidr.h \
 schema/config.h schema/cidr.h
server/acl.h:
schema/cidr.h:
schema/config.h:
schema/cidr.h:
