build-vg/obj/schema/log.o: schema/log.c schema/log.h
schema/log.h:
