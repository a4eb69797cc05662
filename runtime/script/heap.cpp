#include "runtime/script/heap.hpp"

#include <algorithm>

namespace loopscope::script {

Heap::~Heap() {
  sweeping_ = true;
  while (objects_) {
    Obj* next = objects_->gc_next;
    delete objects_;
    objects_ = next;
  }
  for (Obj* o : permanent_) delete o;
  sweeping_ = false;
}

void Heap::with_marks(const std::function<void(Marker&)>& mark_roots, const std::function<void()>& inspect) {
  Marker marker;
  for (Obj* o : permanent_) o->trace(marker);
  mark_roots(marker);
  marker.drain();
  inspect();
  for (Obj* o = objects_; o; o = o->gc_next) o->marked = false;
}

size_t Heap::collect(const std::function<void(Marker&)>& mark_roots) {
  Marker marker;
  for (Obj* o : permanent_) o->trace(marker);  // constants may refer to other objects
  mark_roots(marker);
  marker.drain();

  std::erase_if(watched_, [](const Obj* o) { return !o->marked; });
  size_t live = 0, count = 0;
  sweeping_ = true;
  Obj** link = &objects_;
  while (Obj* o = *link) {
    if (o->marked) {
      o->marked = false;
      live += o->object_size + o->extra_bytes();  // as counted when it was made: else a heap near its
                                           // limit would look below it after every collection
      ++count;
      link = &o->gc_next;
    } else {
      *link = o->gc_next;
      delete o;
    }
  }
  sweeping_ = false;
  live_bytes_ = live;
  objects_count_ = count;
  allocated_since_gc_ = 0;
  // Collect again once as much has been allocated as survived (at least 4 MiB): the usual
  // doubling that keeps collection time proportional to allocation.
  next_collection_ = std::max<size_t>(live, 4u << 20);
  ++collections_;
  return live;
}

}  // namespace loopscope::script
