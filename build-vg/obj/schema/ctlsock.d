build-vg/obj/schema/ctlsock.o: schema/ctlsock.c schema/ctlsock.h \
 schema/config.h schema/cidr.h
schema/ctlsock.h:
schema/config.h:
schema/cidr.h:
