// Timers with the same deadline fire in creation order, and a delay of 0 means 1 ms.
setTimeout(() => console.log('A (1 ms)'), 1);
setTimeout(() => console.log('B (0 ms)'), 0);
setTimeout(() => console.log('C (1 ms)'), 1);
setTimeout(() => console.log('D (0 ms)'), 0);
setTimeout(() => console.log('E (5 ms)'), 5);
setTimeout(() => console.log('F (5 ms)'), 5);
