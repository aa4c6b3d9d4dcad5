build-vg/obj/schema/cidr.o: schema/cidr.c schema/cidr.h
schema/cidr.h:
