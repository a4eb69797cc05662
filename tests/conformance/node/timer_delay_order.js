// Timers fire by deadline, whatever order they were created in.
setTimeout(() => console.log('timer 30 ms'), 30);
setTimeout(() => console.log('timer 10 ms'), 10);
setTimeout(() => console.log('timer 20 ms'), 20);
console.log('sync');
