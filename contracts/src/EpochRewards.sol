// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @title Epoch rewards paid by Merkle claims
/// @notice After settling epoch e the marketplace publishes one Merkle root of cumulative
///         entitlements (every holder's total rewards from the first epoch through e). A holder
///         claims with a proof against any published root and receives the difference between that
///         cumulative amount and what they already claimed, so a claim can never pay twice.
///         Leaves are keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))),
///         the OpenZeppelin standard-tree encoding.
contract EpochRewards is AccessControl {
    bytes32 public constant ROOT_ROLE = keccak256("ROOT_ROLE");

    IMintable public immutable token;
    mapping(uint256 => bytes32) public rootOf;
    uint256 public latestEpoch;
    bool public anyRoot;
    mapping(address => uint256) public claimed;

    event RootPublished(uint256 indexed epoch, bytes32 root);
    event Claimed(address indexed account, uint256 indexed epoch, uint256 amount, uint256 cumulativeAmount);

    error EpochNotAfterLatest(uint256 epoch, uint256 latestEpoch);
    error EmptyRoot();
    error UnknownEpoch(uint256 epoch);
    error InvalidProof();
    error NothingToClaim(uint256 cumulativeAmount, uint256 alreadyClaimed);

    constructor(address admin, IMintable token_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ROOT_ROLE, admin);
        token = token_;
    }

    function setRoot(uint256 epoch, bytes32 root) external onlyRole(ROOT_ROLE) {
        if (root == bytes32(0)) revert EmptyRoot();
        if (anyRoot && epoch <= latestEpoch) revert EpochNotAfterLatest(epoch, latestEpoch);
        rootOf[epoch] = root;
        latestEpoch = epoch;
        anyRoot = true;
        emit RootPublished(epoch, root);
    }

    function claim(uint256 epoch, address account, uint256 cumulativeAmount, bytes32[] calldata proof) external {
        bytes32 root = rootOf[epoch];
        if (root == bytes32(0)) revert UnknownEpoch(epoch);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        uint256 already = claimed[account];
        if (cumulativeAmount <= already) revert NothingToClaim(cumulativeAmount, already);
        claimed[account] = cumulativeAmount;
        uint256 amount = cumulativeAmount - already;
        token.mint(account, amount);
        emit Claimed(account, epoch, amount, cumulativeAmount);
    }
}
