// The discrete-event core: a min-heap of timed events. Events at the same
// virtual time come out in the order they were pushed, so a run never
// depends on how the heap happens to break ties.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

namespace sim {

struct Event {
  double time;
  std::uint64_t seq; // push order: the tie-break
  std::uint32_t kind;
  std::uint32_t id;
  std::uint32_t detail; // what the kind needs, e.g. a reply's outcome
};

class EventQueue {
public:
  void push(double time, std::uint32_t kind, std::uint32_t id,
            std::uint32_t detail = 0) {
    heap_.push(Event{time, next_seq_++, kind, id, detail});
  }
  bool empty() const { return heap_.empty(); }
  const Event &top() const { return heap_.top(); }
  Event pop() {
    Event e = heap_.top();
    heap_.pop();
    return e;
  }

private:
  struct Later {
    bool operator()(const Event &a, const Event &b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  std::uint64_t next_seq_ = 0;
};

} // namespace sim
