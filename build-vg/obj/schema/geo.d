build-vg/obj/schema/geo.o: schema/geo.c schema/geo.h schema/cidr.h
schema/geo.h:
schema/cidr.h:
