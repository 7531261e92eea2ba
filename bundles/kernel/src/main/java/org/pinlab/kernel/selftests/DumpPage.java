package org.pinlab.kernel.selftests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Vma;

/**
 * {@code dump_page} (mm/debug.c, v6.12 {@code __dump_folio}) of one frame, from the model's
 * frame state: the lines the kernel prints, in its order and format.
 *
 * <pre>
 * page: refcount:R mapcount:M mapping:P index:0xI pfn:0xF
 * head: order:O mapcount:M entire_mapcount:E nr_pages_mapped:N pincount:C   (large folios)
 * anon flags: 0xF(uptodate|dirty|lru|swapbacked|node=0|zone=2)
 * page dumped because: REASON
 * </pre>
 *
 * <p>Departures: {@code mapping:} is a stand-in for the hashed pointer {@code %p} prints
 * (0 for an anonymous page, as {@code folio_mapping} is NULL there; else one derived from the
 * inode number), and a page-cache page's {@code aops:} names the filesystem type instead of
 * its {@code address_space_operations} symbol. The hex of {@code flags:} holds the flag bits
 * at the kernel's bit numbers ({@code enum pageflags}) and nothing above them, where the
 * kernel packs the node, zone and lastcpupid fields into the same word; the zone is named
 * with x86-64's numbering (ZONE_NORMAL 2, ZONE_MOVABLE 3, ZONE_DEVICE 4). The model keeps a
 * large folio's counts as a PTE-mapped THP's (a mapcount per PTE, none for the entire
 * folio), so a subpage's {@code mapcount} is the PTEs of {@code vma} mapping it. No
 * {@code memcg:}, {@code raw:} or {@code page_owner} lines: the model has no memcg, its
 * {@code struct page} is not the kernel's layout, and it keeps no allocation stacks.
 */
final class DumpPage {

    /** {@code pageflag_names} ({@code __def_pageflag_names}, include/trace/events/mmflags.h): print order. */
    private static final String[] NAMES = {"locked", "waiters", "referenced", "uptodate", "dirty", "lru", "active",
        "workingset", "owner_priv_1", "owner_2", "arch_1", "reserved", "private", "private_2", "writeback", "head",
        "reclaim", "swapbacked", "unevictable"};
    /** {@code enum pageflags} (include/linux/page-flags.h, v6.12): each name's bit. */
    private static final int[] BITS = {0, 7, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 1, 6, 16, 17, 18};
    /** The model's flag for each name, 0 where the model has none. */
    private static final int[] MODEL = {PageFlags.LOCKED, 0, PageFlags.REFERENCED, PageFlags.UPTODATE,
        PageFlags.DIRTY, PageFlags.LRU, PageFlags.ACTIVE, 0, 0, 0, 0, 0, PageFlags.PRIVATE, 0, PageFlags.WRITEBACK,
        PageFlags.HEAD, PageFlags.RECLAIM, PageFlags.SWAPBACKED, PageFlags.UNEVICTABLE};
    private static final int ZONE_NORMAL = 2;
    private static final int ZONE_MOVABLE = 3;
    private static final int ZONE_DEVICE = 4;

    private DumpPage() {
    }

    /**
     * The lines {@code dump_page(page, reason)} prints for frame {@code pfn}, which {@code vma}
     * maps (for a subpage's mapcount).
     */
    static List<String> dump(Kernel k, int pfn, Vma vma, String reason) {
        List<String> out = new ArrayList<>();
        int head = k.frames.compoundHead(pfn);
        int idx = pfn - head;
        int folioFlags = k.frames.flags(head);
        boolean anon = (folioFlags & PageFlags.ANON) != 0;
        Inode file = anon ? null : k.filemap.fileOf(head);
        boolean large = k.frames.isLarge(head);
        int index = k.frames.index(head) + idx; // folio->index + idx
        out.add(String.format(Locale.ROOT, "page: refcount:%d mapcount:%d mapping:%016x index:%#x pfn:%#x",
                k.frames.refcount(head), large ? ptesMapping(vma, pfn) : k.frames.mapcount(pfn), mapping(file), index,
                pfn));
        if (large) {
            int mapcount = k.frames.mapcount(head);
            out.add(String.format(Locale.ROOT,
                    "head: order:%d mapcount:%d entire_mapcount:0 nr_pages_mapped:%d pincount:%d",
                    k.frames.folioOrder(head), mapcount, Math.min(mapcount, 1 << k.frames.folioOrder(head)),
                    k.frames.folioPincount(head)));
        }
        if (file != null) {
            out.add(String.format(Locale.ROOT, "aops:%s ino:%x", file.mount.sb.typeName(), file.ino)); // dump_mapping
        }
        out.add((anon ? "anon " : "") + "flags: " + flags(folioFlags, zone(k, pfn)));
        out.add("page dumped because: " + reason);
        return out;
    }

    /** {@code %pGp} ({@code format_page_flags}, lib/vsprintf.c): the word in hex, then names and fields. */
    static String flags(int modelFlags, int zone) {
        long word = 0;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (MODEL[i] != 0 && (modelFlags & MODEL[i]) != 0) {
                word |= 1L << BITS[i];
                names.add(NAMES[i]);
            }
        }
        names.add("node=0");
        names.add("zone=" + zone);
        return String.format(Locale.ROOT, "%#x(%s)", word, String.join("|", names));
    }

    private static int zone(Kernel k, int pfn) {
        if (k.zoneDevice.isPmem(pfn)) {
            return ZONE_DEVICE;
        }
        return k.phys.layout().zoneOf(pfn) == Zone.MOVABLE ? ZONE_MOVABLE : ZONE_NORMAL;
    }

    /** The stand-in for {@code %p} of {@code folio_mapping}: all zeroes for NULL, 32 bits of hash otherwise. */
    private static long mapping(Inode file) {
        return file == null ? 0 : (file.ino * 0x9E3779B1L) & 0xffffffffL;
    }

    private static int ptesMapping(Vma vma, int pfn) {
        int n = 0;
        for (int s = 0; s < vma.pages(); s++) {
            if (vma.pfnAt(s) == pfn && (vma.pte[s] & Vma.PTE_PRESENT) != 0) {
                n++;
            }
        }
        return n;
    }
}
