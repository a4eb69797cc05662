// Scripts' `await fetch(url)` on a page: the page's own fetch, awaited through the Promise
// bridge, giving {status, body}. install_page_fetch() makes it the fetch of every run here.
#pragma once

namespace loopscope {

void install_page_fetch();

}  // namespace loopscope
