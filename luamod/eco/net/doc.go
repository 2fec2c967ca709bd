// Package net provides lua-eco's "eco.net" module: ping and ping6, an ICMP
// echo over an unprivileged ICMP socket (eco.socket's icmp/icmp6), resolving
// a host name with eco.dns first. It is Lua over eco.socket, eco.packet,
// eco.time and eco.dns, as lua-eco's is.
package net
