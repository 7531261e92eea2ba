/**
 * Sleeping locks and the lock validator: {@link org.pinlab.kernel.internal.locking.RwSemaphore}
 * ({@code mmap_lock}), {@link org.pinlab.kernel.internal.locking.Mutex}, the page lock and
 * writeback waits of {@link org.pinlab.kernel.internal.locking.PageLocks}, and
 * {@link org.pinlab.kernel.internal.locking.LockValidator}, the model's lockdep.
 *
 * <p>Blocking acquisitions are {@link org.pinlab.sim.Proc}s the caller pushes with
 * {@code task.call(...)}; releases are plain methods called inside a step. Every lock
 * declares its holders to its wait queue, so the engine sees a circular wait the moment it
 * closes, while the validator sees a bad lock order the first time the order is taken.
 */
package org.pinlab.kernel.internal.locking;
