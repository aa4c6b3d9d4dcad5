build-vg/obj/schema/template.o: schema/template.c schema/template.h
schema/template.h:
