#!/usr/bin/perl
# geo_mmdb.pl -- write a small MaxMind-format ASN or Country database for
# the tests, with networks and numbers of the test's choosing (Debian's
# libmaxmind-db-writer-perl). The records have the GeoLite2 fields that
# reputed reads, so the daemon cannot tell them from the real databases.
#
#   geo_mmdb.pl asn OUT.mmdb [SPEC]      SPEC lines: CIDR ASN [ORGANISATION]
#   geo_mmdb.pl country OUT.mmdb [SPEC]  SPEC lines: CIDR CC
#
# SPEC is a file, or standard input when absent or "-". Blank lines and
# lines starting with # are skipped. IPv4 and IPv6 networks may be mixed:
# the tree is IPv6 with IPv4 at ::/96 and its usual aliases (::ffff:0:0/96,
# 6to4), as in MaxMind's own databases. Documentation and private ranges
# are kept (the writer drops them by default), since the tests use them.
# A later line wins where networks overlap. The file is written under a
# temporary name and renamed into place, as geoipupdate does.
#
# --type NAME overrides the metadata's database_type (GeoLite2-ASN,
# GeoLite2-Country), to make a database of the wrong type.
use strict;
use warnings;

use MaxMind::DB::Writer::Tree;

my $type;
if (@ARGV >= 2 && $ARGV[0] eq '--type') {
	$type = $ARGV[1];
	splice(@ARGV, 0, 2);
}
my ($kind, $out, $spec) = @ARGV;
die "usage: geo_mmdb.pl [--type NAME] asn|country OUT.mmdb [SPEC]\n"
    unless defined $out && ($kind eq 'asn' || $kind eq 'country') &&
    @ARGV <= 3;

my %types = (
	autonomous_system_number	=> 'uint32',
	autonomous_system_organization	=> 'utf8_string',
	country				=> 'map',
	registered_country		=> 'map',
	iso_code			=> 'utf8_string',
	geoname_id			=> 'uint32',
	names				=> 'map',
	en				=> 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version		=> 6,
	record_size		=> 24,
	database_type		=> $type // ($kind eq 'asn' ?
	    'GeoLite2-ASN' : 'GeoLite2-Country'),
	languages		=> ['en'],
	description		=> { en => "reputed test $kind database" },
	map_key_type_callback	=> sub { $types{ $_[0] } },
	alias_ipv6_to_ipv4	=> 1,
	remove_reserved_networks => 0,
);

# A country record as GeoLite2-Country has it (the fields we need).
sub country_record
{
	my ($cc) = @_;
	my $c = {
		iso_code	=> $cc,
		geoname_id	=> unpack('n', $cc) + 0,
		names		=> { en => "Country $cc" },
	};
	return { country => $c, registered_country => { %$c } };
}

my $in;
if (!defined $spec || $spec eq '-') {
	$in = \*STDIN;
} else {
	open($in, '<', $spec) or die "geo_mmdb.pl: $spec: $!\n";
}
my $n = 0;
while (my $line = <$in>) {
	chomp $line;
	next if $line =~ /^\s*(#|$)/;
	my ($net, $what, $org) = split(' ', $line, 3);
	die "geo_mmdb.pl: line $.: $line\n" unless defined $what;
	my $data;
	if ($kind eq 'asn') {
		die "geo_mmdb.pl: line $.: not an ASN: $what\n"
		    unless $what =~ /^(?:AS)?(\d+)$/i;
		$data = { autonomous_system_number => $1 + 0 };
		$data->{autonomous_system_organization} = $org
		    if defined $org && $org ne '';
	} else {
		die "geo_mmdb.pl: line $.: not a country code: $what\n"
		    unless $what =~ /^[A-Z]{2}$/;
		$data = country_record($what);
	}
	$tree->insert_network($net, $data);
	$n++;
}
die "geo_mmdb.pl: no networks\n" if $n == 0;

my $tmp = "$out.tmp.$$";
open(my $fh, '>:raw', $tmp) or die "geo_mmdb.pl: $tmp: $!\n";
$tree->write_tree($fh);
close($fh) or die "geo_mmdb.pl: $tmp: $!\n";
rename($tmp, $out) or die "geo_mmdb.pl: rename $tmp: $!\n";
