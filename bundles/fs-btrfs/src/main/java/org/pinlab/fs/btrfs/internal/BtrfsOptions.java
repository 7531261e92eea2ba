package org.pinlab.fs.btrfs.internal;

import java.util.Map;

import org.pinlab.api.fs.MountOptions;

/**
 * A mount's options, parsed strictly before anything is mounted ({@code btrfs_parse_param}).
 * btrfs spells the first two as flag pairs ({@code datacow}/{@code nodatacow},
 * {@code datasum}/{@code nodatasum}); here they take on|off.
 *
 * @param dataCow         datacow=on (default): every write to a new block; off is nodatacow
 * @param dataSum         datasum=on (default): data checksums and stable pages; off is nodatasum
 * @param rejectOutOfBand experimental=on: a kernel built with CONFIG_BTRFS_EXPERIMENTAL (v6.15), which
 *                        refuses out-of-band dirty folios instead of fixing them up; a model knob, not a
 *                        btrfs mount option
 */
record BtrfsOptions(boolean dataCow, boolean dataSum, boolean rejectOutOfBand) {

    static final String DATACOW = "datacow";
    static final String DATASUM = "datasum";
    static final String EXPERIMENTAL = "experimental";
    static final MountOptions OPTIONS = MountOptions.of("btrfs").choice(DATACOW, "on", "off")
            .choice(DATASUM, "on", "off").choice(EXPERIMENTAL, "off", "on");

    /** @throws IllegalArgumentException for an unknown option, a bad value, or datasum=on with datacow=off */
    static BtrfsOptions parse(Map<String, String> given) {
        Map<String, String> chosen = OPTIONS.parse(given);
        boolean dataCow = "on".equals(chosen.get(DATACOW));
        if (!dataCow && "on".equals(given.get(DATASUM))) {
            // Opt_nodatacow sets NODATASUM as well: a checksum over data rewritten in place could not be kept right
            throw new IllegalArgumentException("btrfs: datasum=on needs datacow=on (nodatacow implies nodatasum)");
        }
        return new BtrfsOptions(dataCow, dataCow && "on".equals(chosen.get(DATASUM)),
                "on".equals(chosen.get(EXPERIMENTAL)));
    }
}
