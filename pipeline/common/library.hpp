// A shared library the program loads by its soname when it first needs it (dlopen), rather than
// links: each library linked costs every start of the program, and these serve only some work
// (libcrypto the hashes, libqrencode a QR code not kept, HDF5 the map pack's builder).
#pragma once

#include <dlfcn.h>

#include <string>

namespace factsheet {

class LoadedLibrary {
public:
    /// Opens the library; failure() says why when it cannot. It is never closed: its functions
    /// serve until the program ends.
    explicit LoadedLibrary(const char* soname) : handle_(dlopen(soname, RTLD_NOW | RTLD_LOCAL)) {
        if (!handle_) {
            const char* why = dlerror();
            failure_ = why ? why : "not found";
        }
    }

    /// Points `function` at the library's function `name`; false when the library is not open or
    /// has none (failure() then says so, for the first one missing).
    template <typename F>
    bool find(F& function, const char* name) {
        function = handle_ ? reinterpret_cast<F>(dlsym(handle_, name)) : nullptr;
        if (!function && failure_.empty()) failure_ = std::string("it has no function ") + name;
        return function != nullptr;
    }

    /// The library's handle, for what find() does not take (a variable); null when not open.
    void* handle() const { return handle_; }

    /// Why the library or a function of it could not be had; empty when all could.
    const std::string& failure() const { return failure_; }

private:
    void* handle_;
    std::string failure_;
};

}  // namespace factsheet
