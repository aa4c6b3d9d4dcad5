build-vg/obj/schema/guard.o: schema/guard.c schema/guard.h
schema/guard.h:
