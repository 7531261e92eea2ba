package org.pinlab.testing;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.mm.PageFlags;

/**
 * What a filesystem under test was asked and did, in order: every {@code Superblock} callback
 * with the page's flags at entry and exit, and for each {@code ->writepage} what it called of
 * {@code FsKernel} on that page. Written by {@link RecordingSuperblock} and
 * {@link RecordingFsKernel}, read by the contract's assertions.
 */
final class FsCallLog {

    enum Callback { PAGE_MKWRITE, WRITE_BEGIN, WRITEPAGE, DIRTY_FOLIO, READ_PAGE, INVALIDATE_PAGE, FREE_BLOCKS }

    /** One callback; {@code index} is {@code from} and {@code to} the end for FREE_BLOCKS. */
    static final class Call {
        final int seq;
        final Callback callback;
        final int inode;
        final int index;
        final int to;
        final int flagsAtEntry;
        int flagsAtExit;
        int result;
        /** For a writepage: what it did to its page through FsKernel. */
        boolean startedWriteback;
        boolean submitted;
        boolean endedUnsubmitted;
        boolean redirtied;
        boolean queuedWork;
        /** For FREE_BLOCKS: pages of the range still in the page cache at the call. */
        int stillCached;

        Call(int seq, Callback callback, int inode, int index, int to, int flagsAtEntry) {
            this.seq = seq;
            this.callback = callback;
            this.inode = inode;
            this.index = index;
            this.to = to;
            this.flagsAtEntry = flagsAtEntry;
        }

        boolean entry(int flag) {
            return (flagsAtEntry & flag) != 0;
        }

        boolean exit(int flag) {
            return (flagsAtExit & flag) != 0;
        }

        @Override
        public String toString() {
            return "#" + seq + " " + callback + " inode " + inode + " page " + index
                    + (callback == Callback.FREE_BLOCKS ? ".." + to : "") + " flags at entry "
                    + PageFlags.describe(flagsAtEntry) + ", at exit " + PageFlags.describe(flagsAtExit)
                    + ", returned " + result + (callback == Callback.WRITEPAGE ? " (startWriteback " + startedWriteback
                    + ", submit " + submitted + ", endWritebackUnsubmitted " + endedUnsubmitted + ", redirty "
                    + redirtied + ")" : "");
        }
    }

    private final List<Call> calls = new ArrayList<>();

    Call add(Callback callback, int inode, int index, int to, int flags) {
        Call c = new Call(calls.size(), callback, inode, index, to, flags);
        calls.add(c);
        return c;
    }

    /** The calls of one callback for one page, oldest first. */
    List<Call> of(Callback callback, int inode, int index) {
        return calls.stream().filter(c -> c.callback == callback && c.inode == inode && c.index == index).toList();
    }

    List<Call> of(Callback callback) {
        return calls.stream().filter(c -> c.callback == callback).toList();
    }

    /** How many calls were made so far: a mark to look at later calls from. */
    int mark() {
        return calls.size();
    }

    List<Call> since(int mark, Callback callback, int inode, int index) {
        return of(callback, inode, index).stream().filter(c -> c.seq >= mark).toList();
    }
}
