#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate s2s's uapi header and kernel netlink policy tables from the YNL spec.

The spec (Documentation/netlink/specs/s2s.yaml) is the single source of truth;
this script turns it into uapi/linux/s2s.h, module/netlink-gen.h,
module/netlink-gen.c and the API reference Documentation/netlink/s2s.rst. It understands the subset of the YNL genetlink schema
that s2s uses, and refuses anything else rather than guessing.

usage: ynl-gen.py SPEC OUTDIR   (writes OUTDIR/uapi/linux/s2s.h, OUTDIR/module/...)
"""

import os
import sys

import yaml

SPEC_REL = 'Documentation/netlink/specs/s2s.yaml'
SPDX_UAPI = '/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */'
BANNER = ('/* Do not edit: generated from %s\n'
          ' * by scripts/ynl-gen.py; `make check` fails when the two drift.\n'
          ' */' % SPEC_REL)

NLA_TYPES = {
    'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32', 'u64': 'NLA_U64',
    's32': 'NLA_S32', 'flag': 'NLA_FLAG', 'string': 'NLA_NUL_STRING',
    'binary': 'NLA_BINARY', 'nest': 'NLA_NESTED',
}
FLAG_MAP = {'admin-perm': 'GENL_ADMIN_PERM', 'uns-admin-perm': 'GENL_UNS_ADMIN_PERM'}


def die(msg):
    sys.exit('ynl-gen: ' + msg)


def cname(*parts):
    return '_'.join(p.replace('-', '_') for p in parts if p)


def upper(*parts):
    return cname(*parts).upper()


class Spec:
    def __init__(self, path):
        with open(path) as f:
            self.y = yaml.safe_load(f)
        if self.y.get('protocol') != 'genetlink':
            die('only the genetlink protocol is supported')
        self.name = self.y['name']
        self.prefix = upper(self.name)
        self.version = self.y.get('version', 1)
        self.defs = self.y.get('definitions', [])
        self.sets = {s['name']: s for s in self.y['attribute-sets']}
        self.ops = self.y['operations']['list']
        self.mcgrps = self.y.get('mcast-groups', {}).get('list', [])
        for i, op in enumerate(self.ops):
            op['value'] = i + 1
            op['_set'] = [a['name'] for a in
                          self.sets[op['attribute-set']]['attributes']]
        for s in self.sets.values():
            for i, a in enumerate(s['attributes']):
                a['value'] = i + 1
                if a['type'] not in NLA_TYPES and a['type'] != 'pad':
                    die('attribute %s: unsupported type %s' % (a['name'], a['type']))

    def attr_enum(self, aset, attr=None):
        return upper(self.name, 'a', aset, attr) if attr else upper(self.name, 'a', aset)

    def attr(self, aset, name):
        for a in self.sets[aset]['attributes']:
            if a['name'] == name:
                return a
        die('attribute set %s has no attribute %s' % (aset, name))


def comment(doc, indent=''):
    lines = doc.strip().splitlines()
    if len(lines) == 1:
        return ['%s/* %s */' % (indent, lines[0])]
    out = ['%s/* %s' % (indent, lines[0])]
    out += ['%s * %s' % (indent, l) if l else '%s *' % indent for l in lines[1:]]
    return out + ['%s */' % indent]


def gen_uapi(sp):
    guard = '_UAPI_LINUX_%s_H' % sp.prefix
    o = [SPDX_UAPI, BANNER, '', '#ifndef ' + guard, '#define ' + guard, '']
    o.append('#define %s_FAMILY_NAME\t"%s"' % (sp.prefix, sp.name))
    o.append('#define %s_FAMILY_VERSION\t%d' % (sp.prefix, sp.version))
    o.append('')
    for d in sp.defs:
        if d['type'] == 'const':
            if 'doc' in d:
                o += comment(d['doc'])
            o.append('#define %s\t%s' % (upper(sp.name, d['name']), d['value']))
            o.append('')
            continue
        if d['type'] != 'enum':
            die('definition %s: unsupported type %s' % (d['name'], d['type']))
        if 'doc' in d:
            o += comment(d['doc'])
        o.append('enum %s {' % cname(sp.name, d['name']))
        for i, e in enumerate(d['entries']):
            ename = e['name'] if isinstance(e, dict) else e
            if isinstance(e, dict) and 'doc' in e:
                o += comment(e['doc'], '\t')
            o.append('\t%s = %d,' % (upper(sp.name, d['name'], ename), i))
        o.append('')
        o.append('\t/* private: */')
        o.append('\t__%s_COUNT' % upper(sp.name, d['name']))
        o.append('};')
        o.append('')
    for s in sp.sets.values():
        if 'doc' in s:
            o += comment(s['doc'])
        o.append('enum {')
        for a in s['attributes']:
            if 'doc' in a:
                o += comment(a['doc'], '\t')
            o.append('\t%s = %d,' % (sp.attr_enum(s['name'], a['name']), a['value']))
        o.append('')
        o.append('\t/* private: */')
        o.append('\t__%s_MAX,' % sp.attr_enum(s['name']))
        o.append('\t%s_MAX = (__%s_MAX - 1)' % (sp.attr_enum(s['name']), sp.attr_enum(s['name'])))
        o.append('};')
        o.append('')
    o.append('enum {')
    for op in sp.ops:
        if 'doc' in op:
            o += comment(op['doc'], '\t')
        o.append('\t%s = %d,' % (upper(sp.name, 'cmd', op['name']), op['value']))
    o.append('')
    o.append('\t/* private: */')
    o.append('\t__%s_CMD_MAX,' % sp.prefix)
    o.append('\t%s_CMD_MAX = (__%s_CMD_MAX - 1)' % (sp.prefix, sp.prefix))
    o.append('};')
    o.append('')
    for g in sp.mcgrps:
        o.append('#define %s_MCGRP_%s\t"%s"' % (sp.prefix, upper(g['name']), g['name']))
    if sp.mcgrps:
        o.append('')
    o.append('#endif /* %s */' % guard)
    return '\n'.join(o) + '\n'


def enum_last(sp, name):
    for d in sp.defs:
        if d['name'] == name and d['type'] == 'enum':
            return '__%s_COUNT - 1' % upper(sp.name, name)
    die('unknown enum %s' % name)


def policy_entry(sp, aset, a):
    """One line of an nla_policy array, checks taken from the spec."""
    t = a['type']
    checks = a.get('checks', {})
    key = sp.attr_enum(aset, a['name'])
    if t == 'pad':
        return None
    if t == 'nest':
        return '[%s] = NLA_POLICY_NESTED(%s_nl_policy),' % (
            key, cname(sp.name, a['nested-attributes']))
    if t == 'string':
        if 'max-len' in checks:
            return '[%s] = { .type = NLA_NUL_STRING, .len = %d, },' % (key, checks['max-len'])
        return '[%s] = { .type = NLA_NUL_STRING, },' % key
    if t == 'binary':
        if 'exact-len' in checks:
            return '[%s] = NLA_POLICY_EXACT_LEN(%s),' % (key, checks['exact-len'])
        if 'min-len' in checks and 'max-len' in checks:
            return '[%s] = NLA_POLICY_RANGE(NLA_BINARY, %d, %d),' % (
                key, checks['min-len'], checks['max-len'])
        if 'max-len' in checks:
            return '[%s] = NLA_POLICY_MAX_LEN(%d),' % (key, checks['max-len'])
        if 'min-len' in checks:
            return '[%s] = NLA_POLICY_MIN_LEN(%d),' % (key, checks['min-len'])
        return '[%s] = { .type = NLA_BINARY, },' % key
    nla = NLA_TYPES[t]
    lo = checks.get('min')
    hi = checks.get('max')
    if 'enum' in a:
        hi = enum_last(sp, a['enum'])
    if lo is not None and hi is not None:
        return '[%s] = NLA_POLICY_RANGE(%s, %s, %s),' % (key, nla, lo, hi)
    if lo is not None:
        return '[%s] = NLA_POLICY_MIN(%s, %s),' % (key, nla, lo)
    if hi is not None:
        return '[%s] = NLA_POLICY_MAX(%s, %s),' % (key, nla, hi)
    return '[%s] = { .type = %s, },' % (key, nla)


def request_attrs(op):
    """Request attributes of an operation, do and dump halves together.

    Linux 6.1 (our floor) has no split genl ops: one struct genl_ops carries
    both handlers and a single policy, so that policy is the union of what the
    do and the dump requests may carry.
    """
    names = []
    for kind in ('do', 'dump'):
        req = ((op.get(kind) or {}).get('request') or {})
        names += [n for n in req.get('attributes', []) if n not in names]
    return sorted(names, key=lambda n: op['_set'].index(n))


def req_ops(sp):
    """Operations userspace can call; notification-only ones have no handler."""
    return [op for op in sp.ops if 'do' in op or 'dump' in op]


def policy_name(sp, op):
    return cname(sp.name, op['name'], 'nl_policy')


def last_attr(sp, aset, names):
    return max(names, key=lambda n: sp.attr(aset, n)['value'])


def nested_sets(sp):
    """Attribute sets used as nests, in dependency order (inner first)."""
    order = []

    def visit(name):
        if name in order:
            return
        for a in sp.sets[name]['attributes']:
            if a['type'] == 'nest':
                visit(a['nested-attributes'])
        order.append(name)

    for s in sp.sets.values():
        for a in s['attributes']:
            if a['type'] == 'nest':
                visit(a['nested-attributes'])
    return order


def gen_kernel_h(sp):
    guard = '_%s_NETLINK_GEN_H' % sp.prefix
    o = ['/* SPDX-License-Identifier: GPL-2.0 */', BANNER, '',
         '#ifndef ' + guard, '#define ' + guard, '',
         '#include <net/genetlink.h>', '#include <linux/%s.h>' % sp.name, '']
    for n in nested_sets(sp):
        o.append('extern const struct nla_policy %s_nl_policy[%s_MAX + 1];' % (
            cname(sp.name, n), sp.attr_enum(n)))
    if nested_sets(sp):
        o.append('')
    for op in sp.ops:
        if 'do' in op:
            o.append('int %s(struct sk_buff *skb, struct genl_info *info);' %
                     cname(sp.name, 'nl', op['name'], 'doit'))
        if 'dump' in op:
            o.append('int %s(struct sk_buff *skb, struct netlink_callback *cb);' %
                     cname(sp.name, 'nl', op['name'], 'dumpit'))
    o.append('')
    o.append('extern const struct genl_ops %s_nl_ops[%d];' % (sp.name, len(req_ops(sp))))
    if sp.mcgrps:
        o.append('')
        o.append('enum {')
        for g in sp.mcgrps:
            o.append('\t%s_NLGRP_%s,' % (sp.prefix, upper(g['name'])))
        o.append('};')
        o.append('')
        o.append('extern const struct genl_multicast_group %s_nl_mcgrps[%d];' % (
            sp.name, len(sp.mcgrps)))
    o.append('')
    o.append('#endif /* %s */' % guard)
    return '\n'.join(o) + '\n'


def gen_kernel_c(sp):
    o = ['// SPDX-License-Identifier: GPL-2.0', BANNER, '',
         '#include "netlink-gen.h"', '']
    for n in nested_sets(sp):
        o.append('const struct nla_policy %s_nl_policy[%s_MAX + 1] = {' % (
            cname(sp.name, n), sp.attr_enum(n)))
        for a in sp.sets[n]['attributes']:
            e = policy_entry(sp, n, a)
            if e:
                o.append('\t' + e)
        o.append('};')
        o.append('')
    for op in sp.ops:
        attrs = request_attrs(op)
        if not attrs:
            continue
        aset = op['attribute-set']
        o.append('static const struct nla_policy %s[%s + 1] = {' % (
            policy_name(sp, op), sp.attr_enum(aset, last_attr(sp, aset, attrs))))
        for name in attrs:
            o.append('\t' + policy_entry(sp, aset, sp.attr(aset, name)))
        o.append('};')
        o.append('')
    o.append('const struct genl_ops %s_nl_ops[%d] = {' % (sp.name, len(req_ops(sp))))
    for op in req_ops(sp):
        aset = op['attribute-set']
        attrs = request_attrs(op)
        o.append('\t{')
        o.append('\t\t.cmd\t\t= %s,' % upper(sp.name, 'cmd', op['name']))
        if 'do' in op:
            o.append('\t\t.doit\t\t= %s,' % cname(sp.name, 'nl', op['name'], 'doit'))
        if 'dump' in op:
            o.append('\t\t.dumpit\t\t= %s,' % cname(sp.name, 'nl', op['name'], 'dumpit'))
        if attrs:
            o.append('\t\t.policy\t\t= %s,' % policy_name(sp, op))
            o.append('\t\t.maxattr\t= %s,' % sp.attr_enum(aset, last_attr(sp, aset, attrs)))
        flags = [FLAG_MAP[f] for f in op.get('flags', [])]
        if flags:
            o.append('\t\t.flags\t\t= %s,' % ' | '.join(flags))
        o.append('\t},')
    o.append('};')
    if sp.mcgrps:
        o.append('')
        o.append('const struct genl_multicast_group %s_nl_mcgrps[%d] = {' % (
            sp.name, len(sp.mcgrps)))
        for g in sp.mcgrps:
            o.append('\t[%s_NLGRP_%s] = { "%s", },' % (sp.prefix, upper(g['name']), g['name']))
        o.append('};')
    return '\n'.join(o) + '\n'


def gen_rst(sp):
    """The netlink API reference, for Documentation/netlink/s2s.rst."""
    def para(text, indent=''):
        return [indent + l for l in text.strip().splitlines()] if text else []

    def title(text, ch):
        return [text, ch * len(text), '']

    o = ['.. SPDX-License-Identifier: GPL-2.0', '',
         '.. Do not edit: generated from %s by scripts/ynl-gen.py.' % SPEC_REL, '']
    o += ['=' * 40, 'The %s generic-netlink family' % sp.name, '=' * 40, '']
    o += para(sp.y.get('doc', '')) + ['']
    o += title('Operations', '=')
    for op in sp.ops:
        o += title('%s (%s)' % (op['name'], upper(sp.name, 'cmd', op['name'])), '-')
        o += para(op.get('doc', '')) + ['']
        flags = op.get('flags', [])
        if flags:
            o += ['Requires CAP_NET_ADMIN (%s).' % ', '.join(flags), '']
        for kind in ('do', 'dump', 'event'):
            if kind not in op:
                continue
            part = op[kind] or {}
            if kind == 'event':
                o += ['- notification on the ``%s`` group: %s' % (
                    op.get('mcgrp', ''), ', '.join(part.get('attributes', [])))]
                continue
            req = (part.get('request') or {}).get('attributes', [])
            rep = (part.get('reply') or {}).get('attributes', [])
            o += ['- %s request: %s' % (kind, ', '.join(req) or '(none)')]
            if rep:
                o += ['- %s reply: %s' % (kind, ', '.join(rep))]
        o += ['']
    o += title('Attribute sets', '=')
    for s in sp.sets.values():
        o += title(s['name'], '-')
        o += para(s.get('doc', '')) + ['']
        for a in s['attributes']:
            if a['type'] == 'pad':
                continue
            t = a['type']
            if 'enum' in a:
                t += ', enum ' + a['enum']
            if 'nested-attributes' in a:
                t += ' of ' + a['nested-attributes']
            if a.get('multi-attr'):
                t += ', repeated'
            o += ['``%s`` (%s)' % (a['name'], t)]
            o += para(a.get('doc', '-'), '    ') + ['']
    consts = [d for d in sp.defs if d['type'] == 'const']
    if consts:
        o += title('Constants', '=')
        for d in consts:
            o += ['``%s`` = %s (``%s``)' % (d['name'], d['value'],
                                           upper(sp.name, d['name']))]
            o += para(d.get('doc', '-'), '    ') + ['']
    o += title('Enumerations', '=')
    for d in sp.defs:
        if d['type'] != 'enum':
            continue
        o += title(d['name'], '-')
        o += para(d.get('doc', '')) + ['']
        for e in d['entries']:
            if isinstance(e, dict):
                o += ['- ``%s``: %s' % (e['name'], e.get('doc', ''))]
            else:
                o += ['- ``%s``' % e]
        o += ['']
    return '\n'.join(o).rstrip('\n') + '\n'


def main():
    if len(sys.argv) != 3:
        die('usage: ynl-gen.py SPEC OUTDIR')
    sp = Spec(sys.argv[1])
    out = sys.argv[2]
    files = {
        'uapi/linux/%s.h' % sp.name: gen_uapi(sp),
        'module/netlink-gen.h': gen_kernel_h(sp),
        'module/netlink-gen.c': gen_kernel_c(sp),
        'Documentation/netlink/%s.rst' % sp.name: gen_rst(sp),
    }
    for rel, text in files.items():
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
