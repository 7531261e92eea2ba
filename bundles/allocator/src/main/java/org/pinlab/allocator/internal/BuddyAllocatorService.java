package org.pinlab.allocator.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.mm.PhysicalMemory;

/** Publishes the buddy allocator as the {@code buddy} page allocator; each machine gets its own state. */
@Component(service = PageAllocator.class, property = "name=buddy")
public final class BuddyAllocatorService implements PageAllocator {

    @Override
    public String name() {
        return "buddy";
    }

    @Override
    public String description() {
        return "Binary buddy allocator (mm/page_alloc.c): orders 0-10 per zone, lowest address first.";
    }

    @Override
    public PhysicalMemory create(MemoryLayout layout) {
        return new BuddyAllocator(layout);
    }
}
